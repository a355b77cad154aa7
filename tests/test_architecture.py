"""The shape of the house, checked: the import graph runs one way, the core knows no application,
no module grows past one concern's size, and each zone name and delist page is written once.
docs/architecture.md describes the same shape in words."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from bot.diagnosis.providers import DEFAULT, microsoft

ROOT = Path(__file__).resolve().parent.parent
BOT = ROOT / "bot"
MAX_LINES = 450

# Which parts of the bot each part may import (besides itself). Everything points down:
# surfaces (cli, slack) -> watching -> state; surfaces -> render -> i18n; every surface and render ->
# diagnosis; nothing -> a surface.
MAY_IMPORT = {
    "diagnosis": set(),
    "i18n": set(),
    "render": {"diagnosis", "i18n", "state"},  # the state's plain records (watches, recent checks) are shown
    "config": {"diagnosis", "watching"},
    "logs": set(),
    "state": set(),
    "watching": {"diagnosis", "state"},
    "cli": {"config", "diagnosis", "i18n", "render", "state", "watching"},
    "slack": {"config", "diagnosis", "i18n", "render", "state", "watching"},
    "__main__": {"cli", "config", "logs", "slack"},
}
CORE_MUST_NOT_IMPORT = ("slack_sdk", "slack_bolt", "aiohttp", "redis", "bot.config", "bot.slack", "bot.render",
                        "bot.cli", "bot.state")


def _modules() -> dict[str, Path]:
    return {".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"): path
            for path in sorted(BOT.rglob("*.py"))}


MODULES = _modules()
_MODULE_NAMES = set(MODULES)


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # "from package import module" depends on the module, not on the package's __init__
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                names.add(submodule if submodule in _MODULE_NAMES else node.module)
    return names


def _part(module: str) -> str:
    return module.split(".")[1] if module.count(".") else "__init__"




@pytest.mark.parametrize("module", sorted(MODULES))
def test_module_is_at_most_450_lines(module):
    lines = MODULES[module].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{module} has {lines} lines: split it by concern"


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m.startswith("bot.diagnosis")))
def test_the_core_knows_no_application(module):
    bad = sorted(name for name in _imports(MODULES[module]) if name.startswith(CORE_MUST_NOT_IMPORT))
    assert bad == [], f"{module} imports {bad}"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_parts_import_only_downwards(module):
    part = _part(module)
    allowed = MAY_IMPORT.get(part, set()) | {part}
    used = {_part(name) for name in _imports(MODULES[module]) if name.startswith("bot.") and name in MODULES}
    assert used <= allowed, f"{module} ({part}) imports {sorted(used - allowed)}"


def test_the_import_graph_has_no_cycles():
    graph = {module: {name for name in _imports(path) if name in MODULES and name != module}
             for module, path in MODULES.items()}
    state: dict[str, str] = {}

    def visit(module: str, trail: list[str]) -> None:
        state[module] = "open"
        for target in sorted(graph[module]):
            if state.get(target) == "open":
                cycle = [*trail[trail.index(target):], target]
                pytest.fail(f"import cycle: {' -> '.join(cycle)}")
            if target not in state:
                visit(target, [*trail, target])
        state[module] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])


def _constants(path: Path) -> list[str]:
    """The string constants of a module's code: docstrings (prose, examples) aside."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    return [node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]


# The catalogues are words for people (an example bounce may name a zone); rules and tables are code.
CODE_MODULES = {module: path for module, path in MODULES.items() if not module.startswith("bot.i18n")}


def _written_in(text: str) -> list[str]:
    return sorted(module for module, path in CODE_MODULES.items()
                  if any(text in constant for constant in _constants(path)))


def _zone_names() -> set[str]:
    return {name for zone in (*DEFAULT.zones, *DEFAULT.domain_zones) for name in (zone.zone, zone.keyed_zone) if name}


def _pages() -> set[str]:
    pages = {url for provider in DEFAULT.providers
             for url in (provider.lookup, provider.removal, provider.ticket_page, provider.domain_lookup) if url}
    return pages | {microsoft.DELIST_PORTAL, microsoft.OUTLOOK_SENDER_SUPPORT}


@pytest.mark.parametrize("text", sorted(_zone_names() | _pages()))
def test_each_zone_and_page_is_written_in_one_module(text):
    assert len(_written_in(text)) == 1, f"{text!r} is written in {_written_in(text)}"


def test_code_cites_docs_not_machine_paths():
    for module, path in MODULES.items():
        source = path.read_text(encoding="utf-8")
        assert "shared/reference" not in source and "../shared" not in source and "/work/" not in source, module
