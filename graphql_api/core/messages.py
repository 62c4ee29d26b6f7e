"""graphql-core's syntax, validation and variable messages, said again in French.

Front-ends show these messages to developers and sometimes to people; the rest of the API speaks French, so these do
too. The English original stays in ``extensions.detail`` (it names graphql-core's exact rule, handy when debugging);
a message not listed below gets a generic French sentence for its kind of error.
"""

from __future__ import annotations

import re

_NAME = r"'([^']*)'"

#: (English pattern, French template): groups are numbered in the order they appear in the pattern.
_VALIDATION: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(rf"^Cannot query field {_NAME} on type {_NAME}\."),
        "Le champ « {0} » n'existe pas sur le type « {1} ».",
    ),
    (
        re.compile(rf"^Unknown argument {_NAME} on field {_NAME}\."),
        "L'argument « {0} » n'existe pas sur le champ « {1} ».",
    ),
    (
        re.compile(rf"^Unknown argument {_NAME} on directive {_NAME}\."),
        "L'argument « {0} » n'existe pas sur la directive « {1} ».",
    ),
    (
        re.compile(rf"^Field {_NAME} argument {_NAME} of type {_NAME} is required, but it was not provided\."),
        "Le champ « {0} » demande l'argument « {1} » (type « {2} »), qui manque.",
    ),
    (
        re.compile(rf"^Argument '\w+\.(\w+)\((\w+):\)' of type {_NAME} is required, but it was not provided\."),
        "Le champ « {0} » demande l'argument « {1} » (type « {2} »), qui manque.",
    ),
    (
        re.compile(rf"^Expected value of type {_NAME} not to include unknown field {_NAME}"),
        "Le champ « {1} » n'existe pas dans le type « {0} ».",
    ),
    (re.compile(r"^(\w+) cannot represent"), "Valeur invalide pour le type « {0} »."),
    (
        re.compile(rf"^Field {_NAME} of required type {_NAME} was not provided\."),
        "Le champ « {0} » (type « {1} ») est obligatoire et manque.",
    ),
    (
        re.compile(rf"^Field {_NAME} is not defined by type {_NAME}\."),
        "Le champ « {0} » n'existe pas dans le type « {1} ».",
    ),
    (
        re.compile(rf"^Variable {_NAME} of type {_NAME} used in position expecting type {_NAME}\."),
        "La variable « {0} » est de type « {1} » mais le type « {2} » est attendu ici.",
    ),
    (re.compile(rf"^Variable {_NAME} is never used"), "La variable « {0} » est déclarée mais jamais utilisée."),
    (re.compile(rf"^Variable {_NAME} is not defined"), "La variable « {0} » n'est pas déclarée."),
    (re.compile(rf"^There can be only one variable named {_NAME}\."), "La variable « {0} » est déclarée deux fois."),
    (
        re.compile(rf"^Variable {_NAME} cannot be non-input type {_NAME}\."),
        "La variable « {0} » ne peut pas être du type « {1} », qui n'est pas un type d'entrée.",
    ),
    (re.compile(rf"^Unknown type {_NAME}\."), "Le type « {0} » n'existe pas."),
    (re.compile(rf"^Unknown fragment {_NAME}\."), "Le fragment « {0} » n'existe pas."),
    (re.compile(rf"^Fragment {_NAME} is never used\."), "Le fragment « {0} » est défini mais jamais utilisé."),
    (re.compile(rf"^Cannot spread fragment {_NAME} within itself"), "Le fragment « {0} » s'inclut lui-même."),
    (re.compile(rf"^Unknown directive {_NAME}\."), "La directive « {0} » n'existe pas."),
    (
        re.compile(rf"^Field {_NAME} of type {_NAME} must have a selection of subfields\."),
        "Le champ « {0} » (type « {1} ») demande une sélection de sous-champs, entre accolades.",
    ),
    (
        re.compile(rf"^Field {_NAME} must not have a selection since type {_NAME} has no subfields\."),
        "Le champ « {0} » (type « {1} ») n'a pas de sous-champs : retirez les accolades.",
    ),
    (
        re.compile(rf"^Expected value of type {_NAME}, found (.*?)(?:;|\.$)"),
        "Valeur invalide pour le type « {0} » : {1}.",
    ),
    (
        re.compile(rf"^Fields {_NAME} conflict because"),
        "Les champs « {0} » se contredisent : donnez-leur des alias différents.",
    ),
    (
        re.compile(r"^This anonymous operation must be the only defined operation\."),
        "Une opération anonyme doit être la seule opération du document.",
    ),
    (re.compile(rf"^There can be only one operation named {_NAME}\."), "L'opération « {0} » est définie deux fois."),
    (
        re.compile(rf"^There can be only one argument named {_NAME}\."),
        "L'argument « {0} » est donné deux fois.",
    ),
    (re.compile(r"^The (\w+) operation is not supported by the schema\."), "Ce schéma n'accepte pas d'opération {0}."),
]

#: Variable values refused while coercing them, before any resolver runs.
_VARIABLES: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(rf"^Variable {_NAME} has invalid value: Expected a value of non-null type {_NAME} to be provided"),
        "La variable obligatoire « {0} » (type « {1} ») n'a pas été fournie.",
    ),
    (
        re.compile(rf"^Variable {_NAME} of required type {_NAME} was not provided\."),
        "La variable obligatoire « {0} » (type « {1} ») n'a pas été fournie.",
    ),
    (
        re.compile(rf"^Variable {_NAME} has invalid value: Expected value of non-null type {_NAME} not to be None"),
        "La variable « {0} » (type « {1} ») ne peut pas être nulle.",
    ),
    (
        re.compile(rf"^Variable {_NAME} of non-null type {_NAME} must not be null\."),
        "La variable « {0} » (type « {1} ») ne peut pas être nulle.",
    ),
    (re.compile(rf"^Variable {_NAME} (?:got|has) invalid value"), "La variable « {0} » a une valeur invalide."),
    (
        re.compile(rf"^Variable {_NAME} expected value of type {_NAME}"),
        "La variable « {0} » attend une valeur de type « {1} ».",
    ),
]

#: graphql-core says where and what (``Syntax Error: Expected Name, found <EOF>.``): the place is in ``locations``.
SYNTAX_ERROR = "Erreur de syntaxe dans la requête GraphQL."
INVALID_QUERY = "La requête GraphQL est invalide."
INVALID_INPUT = "Une valeur envoyée est invalide."


def translate(patterns: list[tuple[re.Pattern[str], str]], message: str) -> str | None:
    """The French template of the first pattern ``message`` matches, filled with the pattern's groups."""
    for pattern, french in patterns:
        match = pattern.search(message)
        if match:
            return french.format(*match.groups())
    return None


def validation_message(message: str) -> str:
    return translate(_VALIDATION, message) or INVALID_QUERY


def input_message(message: str) -> str:
    """A variable or argument value refused before execution (coercion); graphql-core's reason stays in the
    detail, since it may quote the value."""
    return translate(_VARIABLES, message) or translate(_VALIDATION, message) or INVALID_INPUT
