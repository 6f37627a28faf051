"""Images and other files of the content: what each is (probe, vector), the sizes pages serve (images), social cards (cards)."""
