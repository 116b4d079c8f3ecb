"""visites: suivi des dossiers du programme « Les visites sociales »."""

__version__ = "0.1.0"
