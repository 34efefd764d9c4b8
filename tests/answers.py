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

# An adult who paid a fake shop (§7 rule 16): call the card company first, then 188 and the police.
SCAM_PAID = {"urgent": "no", "reporter": "self", "situation": "scam", "scam_loss": "paid"}

# A child threatened with sexual images (§7 rule 18): never save the image, the child line first.
SEXTORTION_CHILD = {
    "urgent": "no",
    "reporter": "child",
    "situation": "victim",
    "harm": "sextortion",
    "goal": "punish",
}
