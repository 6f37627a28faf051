"""The package's shape: no import cycle anywhere, and each stage imports only the stages below it."""

from __future__ import annotations

import ast

from conftest import ROOT

PACKAGE = ROOT / "explainer"
# From the bottom up: a module may import its own folder and anything lower, never anything higher.
LAYERS = ("cancel limits errors artifacts model cache", "text", "media", "content", "render", "output", "search", "workers", "pipeline",
          "store uptodate",
          "preview scaffold", "cli __main__")


def imports() -> dict[str, set[str]]:
    """Module -> the modules of the package it imports (at any depth of its code), by dotted name."""
    modules = {".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"): path
               for path in PACKAGE.rglob("*.py")}
    found: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)] if node.level else []
                target = ".".join(base + ([node.module] if node.module else []))
                for candidate in (target, *(f"{target}.{alias.name}" for alias in node.names)):
                    if candidate in modules and candidate != name:
                        found[name].add(candidate)
            elif isinstance(node, ast.Import):
                found[name].update(alias.name for alias in node.names if alias.name in modules)
    return found


def layer(module: str) -> int:
    parts = module.split(".")
    key = parts[1] if len(parts) > 1 else "__init__"
    return next((index for index, names in enumerate(LAYERS) if key in names.split()), -1)


def test_no_import_cycle() -> None:
    graph = imports()
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(graph[module]):
            assert state.get(target) != 1, "import cycle: " + " -> ".join([*path[path.index(target):], target])
            if target not in state:
                visit(target, [*path, target])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])


def test_each_stage_imports_only_lower_stages() -> None:
    for module, targets in imports().items():
        if layer(module) < 0:
            continue  # the package's own __init__
        for target in targets:
            assert layer(target) <= layer(module) or layer(target) < 0, f"{module} imports {target}, a higher stage"


def test_no_module_is_much_over_400_lines() -> None:
    long = {str(path.relative_to(ROOT)): n for path in PACKAGE.rglob("*.py") if (n := len(path.read_text(encoding="utf-8").splitlines())) > 420}
    assert not long, long
