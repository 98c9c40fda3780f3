"""The Windows cell under Wine (ci/wine_cell.py) only: imported by its pytest process and workers.

Wine 8.0 lacks propsys.VariantToString, so CPython's WMI query (platform._wmi_query, 3.12+)
aborts the whole process; pytest-xdist and the JUnit XML ask platform.uname() for the host's
name and release. Here the query fails as it does where WMI is missing, and platform falls back
to what `ver` says. Nothing in lab/ relies on this.
"""
import platform

if hasattr(platform, "_wmi_query"):
    def _no_wmi(*args, **kwargs):
        raise OSError("WMI is not queried under Wine (propsys.VariantToString is missing)")

    platform._wmi_query = _no_wmi
