"""What pages show beside their charts: tables, tiles and notes built from metric frames."""
