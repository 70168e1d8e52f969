"""GeoKG's graph layer: the contract (model), the stores that hold it, analysis and drawing."""
