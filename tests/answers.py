"""Answer sets several test modules walk through."""

# An adult defamed online who wants to ask the site to delete the posts themself (§3.4).
DEFAMED_DELETE_MYSELF = {
    "urgent": "no",
    "reporter": "self",
    "situation": "victim",
    "harm": "defamation",
    "goal": "delete",
    "delete_by": "self",
}
