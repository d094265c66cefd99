"""khaojing (ข่าวจริง): an open-source platform that runs an Anti-Fake-News Center end to end."""

__version__ = "0.1.0"
