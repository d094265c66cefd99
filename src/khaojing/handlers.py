"""Imports every domain's job handlers, so a worker knows them all by name (the composition root for jobs)."""

import khaojing.cases.jobs  # noqa: F401  (cases, issue 5)
import khaojing.enforcement.jobs  # noqa: F401  (enforcement, issue 8)
import khaojing.intake.jobs  # noqa: F401
import khaojing.jobs.builtin  # noqa: F401
import khaojing.matching.jobs  # noqa: F401
import khaojing.models  # noqa: F401
import khaojing.publication.jobs  # noqa: F401  (publication, issue 6)
import khaojing.tipline.jobs  # noqa: F401
import khaojing.trends.jobs  # noqa: F401  (trends and listening, issue 7)
