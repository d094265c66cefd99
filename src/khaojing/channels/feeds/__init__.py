"""Social listening adapters: RSS/Atom, JSON Feed, JSON endpoints, drop folders (issue 7)."""
