"""Text -> frozen records (sections, statements, markers, references); markers -> references."""
