"""Output formats: one module per format. Each imports its library only when used."""
