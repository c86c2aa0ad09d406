"""tools/deploy-local/README.md against moto_server.py: its table lists every fix, in order, as
`--list-fixes` prints it, and it names the moto version the fixes target (the one installed here).

Run: python3 -m unittest discover -s test/tools/deploy-local -p 'test_*.py'
"""
import importlib.util
import os
import re
import unittest

import moto

TOOL = os.path.join(os.path.dirname(__file__), "..", "..", "..", "tools", "deploy-local")
spec = importlib.util.spec_from_file_location("moto_server_for_readme", os.path.join(TOOL, "moto_server.py"))
moto_server = importlib.util.module_from_spec(spec)
# Loading registers the fixes (FIXES) without applying them: nothing of moto is patched here.
spec.loader.exec_module(moto_server)

with open(os.path.join(TOOL, "README.md"), encoding="utf8") as f:
    README = f.read()


def fix_table():
    """The rows of the table between <!-- moto-fixes --> and <!-- /moto-fixes -->, as lists of cells."""
    match = re.search(r"<!-- moto-fixes -->\n(.*?)\n<!-- /moto-fixes -->", README, re.S)
    if match is None:
        raise AssertionError("README.md has no <!-- moto-fixes --> ... <!-- /moto-fixes --> table")
    lines = match.group(1).splitlines()
    return [[cell.strip() for cell in line.strip().strip("|").split(" | ")] for line in lines[2:]]


class FixTable(unittest.TestCase):
    def test_the_table_lists_every_fix_in_order_as_list_fixes_prints_it(self):
        # GIVEN the fixes moto_server.py registers, in the order it applies and lists them
        summaries = [summary for summary, _ in moto_server.FIXES]
        # WHEN the README's table is read
        rows = fix_table()
        # THEN its rows are numbered 1..n and name exactly those fixes: a fix added, removed or
        # reworded in moto_server.py without the README fails here.
        self.assertEqual([row[0] for row in rows], [str(n) for n in range(1, len(rows) + 1)])
        self.assertEqual([row[1] for row in rows], summaries)

    def test_every_fix_says_what_moto_gets_wrong_and_what_the_patch_does(self):
        for row in fix_table():
            self.assertEqual(len(row), 4, row)
            wrong, patch = row[2], row[3]
            self.assertGreater(len(wrong), 20, f"fix {row[0]}: say what moto gets wrong")
            self.assertGreater(len(patch), 20, f"fix {row[0]}: say what the patch does")


class TargetVersion(unittest.TestCase):
    def test_the_readme_names_the_moto_version_the_fixes_target_and_no_other(self):
        versions = set(re.findall(r"moto[^0-9\n]{0,12}(\d+\.\d+\.\d+)", README))
        self.assertEqual(versions, {moto_server.MOTO_VERSION})
        self.assertIn(f"**moto {moto_server.MOTO_VERSION}**", README)

    def test_the_installed_moto_is_the_one_the_fixes_target(self):
        # The fixes' tests (test_moto_server.py) prove them on the installed moto. When moto is
        # upgraded, check each fix against the new release, then update MOTO_VERSION and the README.
        self.assertEqual(moto.__version__, moto_server.MOTO_VERSION,
                         f"moto {moto.__version__} is installed; moto_server.py's fixes target {moto_server.MOTO_VERSION}")


if __name__ == "__main__":
    unittest.main()
