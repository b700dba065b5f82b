"""Every key the app keeps in ``st.session_state`` that more than one place reads or writes,
defined once. (A widget's key that only its own widget uses stays beside it.)"""

# The sidebar's widgets; the URL carries them as dev / dt / red, and the language as lang
DEVICE, DTYPE, REDUCTION = "device", "dtype", "reduction"
LANGUAGE = "lang"
LANGUAGE_SHOWN = "lang_shown"  # the language of the last run: a change re-bases the editor
LANGUAGE_PROBLEMS = "lang_problems"  # the URL's ?lang= when it is not a language, reported once

# The home page's state (ui/session.py) and its inputs
STATE = "pipeline_state"  # the PageState the URL describes
URL_PROBLEMS = "url_problems"  # the URL's malformed parameters, reported once
EDITOR = "acts_editor"  # the activation editor's own record of edits
EDITOR_BASE = "editor_base"  # (acts, targets) the editor was created with
LAST_VALID_VIEW = "last_valid_view"  # the home page's last valid View, read by other pages
SAMPLE = "sample"  # the selected sample (idx)
SOURCE_CHOICE = "source_choice"
RANDOM_ROWS, RANDOM_CLASSES, RANDOM_SEED = "random_rows", "random_classes", "random_seed"
PASTE_ACTS, PASTE_TARGETS = "paste_acts", "paste_targets"
PASTE_ERROR, PASTE_NOTE = "paste_error", "paste_note"
TARGET_LOSS_CHART = "target_loss_chart"  # the bars a click on which selects a sample
APPLIED_SELECTION = "_applied_selection"  # the last chart click already applied

# Streamlit runs the pages inside app.py's navigation (ui/entry.py)
ENTRYPOINT_RAN = "_entrypoint_ran"
