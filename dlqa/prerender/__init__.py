"""Math and diagrams rendered at build time (KaTeX in Node, Mermaid in headless Chromium)."""
