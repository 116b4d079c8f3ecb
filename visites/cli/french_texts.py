"""The French texts of the command line's help and usage errors: pure data, read by french.py.

Typer and click print English (help screens, usage errors); these tables say it in French.
A new English message after a typer upgrade is one more line in `MESSAGES`.
"""

from __future__ import annotations

USAGE_PREFIX = "Utilisation : "
HELP_OPTION_TEXT = "Afficher cette aide et quitter."
ABORTED_TEXT = "Abandon."
ERROR_PREFIX = "erreur : "
TRY_HELP_TEXT = "Essayez « {command} {option} » pour l'aide."
SUBCOMMAND_METAVAR = "COMMANDE [ARGUMENTS]..."
DEPRECATED_NOTE = "(OBSOLÈTE : {reason})"
DEPRECATED_MARK = "(OBSOLÈTE)"
DEPRECATED_WARNING = "Avertissement : la commande « {name} » est obsolète.{reason}"
USAGE_HIGHLIGHT = r"(?P<usage>Utilisation : )"

# The English originals these replace, as typer 0.29 writes them.
ENGLISH_HELP_OPTION_TEXT = "Show this message and exit."
ENGLISH_SUBCOMMAND_METAVAR = "COMMAND [ARGS]..."

# Strings that typer.core passes through gettext (``_``), mostly for the plain help screen.
CORE_TEXTS = {
    "(dynamic)": "(dynamique)",
    "Aborted!": ABORTED_TEXT,
    "default: {default}": "défaut : {default}",
    "required": "obligatoire",
    "env var: {var}": "variable d'environnement : {var}",
    "Arguments": "Arguments",
    "Options": "Options",
    "Commands": "Commandes",
    "Missing command.": "commande manquante.",
    "No such command {name!r}.": "commande inconnue : « {name} ».",
}

# typer.rich_utils module constants, for the Rich help screen.
RICH_TEXTS = {
    "DEPRECATED_STRING": "(obsolète) ",
    "DEFAULT_STRING": "[défaut : {}]",
    "ENVVAR_STRING": "[variable d'environnement : {}]",
    "REQUIRED_LONG_STRING": "[obligatoire]",
    "ARGUMENTS_PANEL_TITLE": "Arguments",
    "OPTIONS_PANEL_TITLE": "Options",
    "COMMANDS_PANEL_TITLE": "Commandes",
    "ERRORS_PANEL_TITLE": "Erreur",
    "ABORTED_TEXT": ABORTED_TEXT,
    "RICH_HELP": "Essayez [blue]« {command_path} {help_option} »[/] pour l'aide.",
}

# Type labels shown in help ("<int>", "<path>", "<int range>"...).
TYPE_LABELS = {
    "str": "texte",
    "int": "entier",
    "float": "réel",
    "bool": "booléen",
    "path": "chemin",
    "Path": "chemin",
    "file": "fichier",
    "dir": "dossier",
    "datetime": "date",
    "date": "date",
    "Decimal": "décimal",
    "list": "liste",
    "bytes": "octets",
}

# A missing parameter, by kind.
MISSING = {
    "option": "option manquante",
    "argument": "argument manquant",
    "parameter": "paramètre manquant",
}

# What a click path type names (`{1:path}` below).
PATH_KINDS = {"file": "le fichier", "dir": "le dossier", "path": "le chemin"}

# The English messages typer and click build with f-strings, each as a pattern matching the
# whole message, and its French. In the French, `{1}` is the pattern's first group; `{1:q}`
# puts it between « », `{1:list}` unquotes a list of 'a', 'b', `{1:path}` names a path kind
# (PATH_KINDS), `{1:tr}` translates it in turn. Patterns are compiled on first use only.
MESSAGES: tuple[tuple[str, str], ...] = (
    (r"No such option: (.*)", "option inconnue : {1}"),
    (r"Got unexpected extra argument(?:s|\(s\))? \((.*)\)", "argument(s) en trop : {1}"),
    (r"Option '(.+)' requires an argument\.", "l'option {1:q} attend une valeur."),
    (r"Option '(.+)' requires (\d+) arguments\.", "l'option {1:q} attend {2} valeurs."),
    (r"Option '(.+)' does not take a value\.", "l'option {1:q} n'accepte pas de valeur."),
    (r"Argument '(.+)' takes (\d+) values\.", "l'argument {1:q} attend {2} valeurs."),
    (r"Missing command\.", "commande manquante."),
    (r"No such command '(.*)'\.", "commande inconnue : {1:q}."),
    (
        r"'(.*)' is not one of (.*)\.",
        "{1:q} n'est pas un choix valide (choix possibles : {2:list}).",
    ),
    (
        r"'(.*)' does not match the formats (.*)\.",
        "{1:q} ne correspond à aucun des formats {2:list}.",
    ),
    (r"(\d+) values are required, but (\d+) given\.", "{1} valeurs sont attendues, {2} fournies."),
    (r"value is not a valid tuple", "la valeur n'est pas un n-uplet valide."),
    (r"None is not a valid string", "aucune valeur fournie."),
    (r"Value must be an iterable\.", "une liste de valeurs est attendue."),
    (r"Value (.+) is not a valid (.+)\.", "la valeur {1} n'est pas valide (type attendu : {2})."),
    (r"(file|dir|path) '(.*)' does not exist\.", "{1:path} {2:q} n'existe pas."),
    (r"(file|dir|path) '(.*)' is a file\.", "{2:q} est un fichier (un dossier est attendu)."),
    (r"(file|dir|path) '(.*)' is a directory\.", "{2:q} est un dossier (un fichier est attendu)."),
    (r"(file|dir|path) '(.*)' is not readable\.", "{1:path} {2:q} n'est pas lisible."),
    (
        r"(file|dir|path) '(.*)' is not writable\.",
        "{1:path} {2:q} n'est pas accessible en écriture.",
    ),
    (r"Could not open file '(.*)': (.*)", "impossible d'ouvrir le fichier {1:q} : {2:tr}"),
    (r"unknown error", "erreur inconnue"),
    (r"Choose from:(.*)", "Choisissez parmi :{1:list}"),
)

# "… Did you mean 'x'?" ends several messages: translated apart, then the rest.
DID_YOU_MEAN = r"(.*)\. Did you mean (.+)\?"
SUGGESTION = " Vouliez-vous dire {names} ?"
UNKNOWN_COMMAND = "commande inconnue : « {name} »."
OR = " ou "  # « a », « b » ou « c »

# The help's epilog of examples (`app.examples`), and what keeps a « quotation » on one line
# when the help is wrapped: its spaces and hyphens stand for themselves until it is written.
EXAMPLES_HEADING = "Exemples :"
UNBREAKABLE = {" ": "\ue000", "-": "\ue001"}
