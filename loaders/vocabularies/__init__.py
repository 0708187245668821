"""HPO, ICD-10-CM and drug lexicons with their cached term index; clinkg's SKOS vocabulary."""
