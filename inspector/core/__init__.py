"""The Qt-free core: JOSE, OAuth protocol, flows and storage. Never imports PySide6."""
