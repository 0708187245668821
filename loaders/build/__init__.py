"""Facts -> an rdflib graph with deterministic IRIs, validated with SHACL."""
