"""The flow modules import one another without a loop: a grant's step module may use the shared
steps, the registry may name every grant, and nothing shared reaches back into either.

The graph is read from the source with ``ast``, so an import inside a function (a lazy import)
counts as much as one at the top of a module; the registry's ``Grant.steps_at`` (a module it
imports by name, on first use) counts too.
"""

import ast
from pathlib import Path

import inspector.core.flows
from inspector.core.flows.grants import GRANTS

PACKAGE = "inspector.core.flows"
FLOWS_DIR = Path(inspector.core.flows.__file__).parent


def imported_names(source: str, module: str) -> set[str]:
    """Every module ``source`` (the text of ``module``) imports, anywhere in it: ``import a.b``
    gives a.b, ``from a import b`` gives a and, in case b is a submodule, a.b; relative imports
    are resolved against ``module``'s package."""
    names: set[str] = set()
    package = module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def flow_import_graph(sources: dict[str, str]) -> dict[str, set[str]]:
    """module -> the modules of the flows package it imports (``sources``: module name -> its text)."""
    return {module: {name for name in imported_names(text, module) if name in sources and name != module}
            for module, text in sources.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import loop as [a, b, …, a], or None (depth-first search, colouring visited modules)."""
    done: set[str] = set()
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        if module in path:
            return path[path.index(module):] + [module]
        if module in done:
            return None
        path.append(module)
        for target in sorted(graph[module]):
            if cycle := visit(target):
                return cycle
        path.pop()
        done.add(module)
        return None

    for module in sorted(graph):
        if cycle := visit(module):
            return cycle
    return None


def package_sources() -> dict[str, str]:
    return {(PACKAGE if path.stem == "__init__" else f"{PACKAGE}.{path.stem}"): path.read_text(encoding="utf-8")
            for path in sorted(FLOWS_DIR.glob("*.py"))}


def test_the_flow_modules_import_one_another_without_a_loop():
    sources = package_sources()
    assert {f"{PACKAGE}.runner", f"{PACKAGE}.steps", f"{PACKAGE}.grants", f"{PACKAGE}.auth_code"} <= set(sources)
    graph = flow_import_graph(sources)
    graph[f"{PACKAGE}.grants"] |= {grant.steps_at.partition(":")[0] for grant in GRANTS.values()}
    cycle = find_cycle(graph)
    assert cycle is None, "import loop: " + " -> ".join(cycle)


def test_a_lazy_import_of_a_submodule_closes_a_loop():
    """The check sees imports inside functions and ``from package import submodule``: the loop
    steps.py once made (a lazy import of the registry, which imports the grants that use steps)."""
    sources = {
        f"{PACKAGE}.steps": "def run():\n    from inspector.core.flows.grants import ENDPOINTS_NEEDED\n",
        f"{PACKAGE}.grants": "from inspector.core.flows import auth_code\n",
        f"{PACKAGE}.auth_code": "from inspector.core.flows.steps import DISCOVERY\n",
    }
    assert find_cycle(flow_import_graph(sources)) == [f"{PACKAGE}.auth_code", f"{PACKAGE}.steps",
                                                      f"{PACKAGE}.grants", f"{PACKAGE}.auth_code"]


def test_relative_imports_are_resolved_against_the_package():
    assert imported_names("from . import steps\nfrom .model import Flow\n", f"{PACKAGE}.runner") >= {
        f"{PACKAGE}.steps", f"{PACKAGE}.model"}
