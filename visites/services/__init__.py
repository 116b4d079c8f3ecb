"""The services room: what each command does with the folder (lock, read, move, write,
commit), one module per theme. The command line calls these; they never print."""
