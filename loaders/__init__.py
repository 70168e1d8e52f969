"""Sources -> documents -> extraction -> graph fragments. Nothing here touches a store."""
