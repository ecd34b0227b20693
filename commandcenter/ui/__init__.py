"""The Qt layer: adapts the core (store, domain) to models, views and signals. It decides
nothing the database or the core already decides."""
