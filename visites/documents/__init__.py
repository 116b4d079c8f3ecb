"""The programme's paperwork: letters to the household, the convocation, the avis to the landlord.

- `kinds`: which documents exist, when each applies, and the variables a template sees (pure);
- `templates`: the jinja2 templates (the case folder's own `templates/` first), rendered in a
  sandbox into a `structure.Letter`;
- `structure`: that letter as blocks (address, title, paragraphs…), which one renderer per
  format in `visites/render/` turns into markdown, html or docx.
"""
