"""The cache room: the SQLite index of what each case file held when it was last read
(`index`, its columns and rows in `rows`), and one pass over the folder through it (`scan`).
It knows files and a parse function, never the store."""
