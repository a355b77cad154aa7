"""The diagnosis core: text -> Bounce -> lookups -> Diagnosis. Knows nothing about Slack."""
