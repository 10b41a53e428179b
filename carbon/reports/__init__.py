"""Staff reports of the carbon app. ``impact``: the campaign impact report (fetch in ``selectors``, pure
figures in ``impact``, SVG chart geometry in ``charts``, CSV in ``exports``; HTTP in ``views``/``apis``)."""
