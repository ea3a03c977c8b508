"""Dependencies run one way: no module of ours imports, at load time, a module that imports it back
(importing and publishing, profiles and sources included)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bioproject", "profiles", "sources")


def our_modules():
    modules = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
            modules[name] = path
    return modules


def import_graph(modules):
    """Each module's imports of our modules, at any depth of its code (a function-level import
    is still a dependency)."""
    graph = {}
    for name, path in modules.items():
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                for alias in node.names:
                    full = f"{node.module}.{alias.name}"
                    targets.add(full if full in modules else node.module)
            elif isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
        graph[name] = {target for target in targets if target in modules and target != name}
    return graph


def cycles(graph):
    found, done = [], set()

    def visit(node, stack):
        for target in sorted(graph[node]):
            if target in stack:
                found.append(stack[stack.index(target) :] + [target])
            elif target not in done:
                visit(target, [*stack, target])
        done.add(node)

    for node in sorted(graph):
        if node not in done:
            visit(node, [node])
    return found


def test_no_module_imports_one_that_imports_it_back():
    modules = our_modules()
    assert "profiles.publishing" in modules and "sources.models" in modules
    assert cycles(import_graph(modules)) == []


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]
