"""Records -> facts, stage by stage: entities, their scope, relations, statuses, statistics."""
