"""The province portal (issue 14): accounts, periods, submissions with versions, the Sở's board.

A thin shell over baocao.pipeline like the CLI and the web page: the checks are the CLI's.
"""
