from wiretrace.cli import app

app(prog_name="wiretrace")
