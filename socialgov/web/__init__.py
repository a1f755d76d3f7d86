"""The web shell: layout, navigation, the home page and error pages."""
