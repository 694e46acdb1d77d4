# Cross-addon tests, run by tools/run-tests.sh with pytest-odoo (see conftest.py at the root):
# - test_install_uninstall.py: each addon installs alone and uninstalls (throwaway databases);
# - test_roles_menus.py: each role sees its Call Center menus and nothing more;
# - module_ops.py: helper script for the former (not a test).
# To come: test_demo_data.py (with the demo data), the end-to-end operator day scenario, and
# shared test tooling such as the AMI test peer of the VoIP issue.
