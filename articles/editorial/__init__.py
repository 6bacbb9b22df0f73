"""Every write an editor makes: publish or keep (a decision), schedule, undo, story
corrections and story decisions, provider logos. Each builds its `ReviewDecision` rows through
one builder (`records`).

This `__init__` imports nothing: the models import mixins from here while they load."""
