"""Analysis over what a store returns: networkx analytics, pyvis views, exports, the query gallery."""
