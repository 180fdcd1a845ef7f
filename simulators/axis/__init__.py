"""A local simulator of the national document exchange axis (trục liên thông văn bản quốc gia), run as
its own process with its own SQLite storage: ``python -m simulators.axis --port P --db FILE --config FILE``.

Standard library only (no Django): the protocol is the one ``exchange.axis.HttpAxis`` speaks, written
down in decision 0033. ``store`` keeps the packages and their deliveries, ``routing`` reads a
package's recipients and finds the systems serving them, ``server`` answers HTTP."""
