"""The four sandbox site layouts; SITES lists their builders in the order `site_urls()` shows them."""
