"""Demo scenarios as data. `DEFAULT` is the one `manage.py load_demo` builds."""

from phoihop_dev.demo.data.ha_tinh import SCENARIO as DEFAULT

__all__ = ["DEFAULT"]
