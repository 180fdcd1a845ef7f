"""The officials' pages of the one-stop back office (mounted at /workspace/dossiers/), by what
officials do: ``queues`` (work lists by role, bulk assignment), ``detail`` (the dossier's page and
its slips), ``actions`` (one small POST view per action of dossiers.policy), ``intake`` (intake
at the counter). Lists go through ``selectors.dossiers_for_official``; a dossier the reader may
not see is a 404."""
