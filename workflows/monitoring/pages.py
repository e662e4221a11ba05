def _todo(request, pk=None):
    raise NotImplementedError


deliveries = upload = feed_detail = raw_row = signals = dashboard = dashboard_export = register = _todo
