"""The ontology's entailments and consistency checks over article graphs."""
