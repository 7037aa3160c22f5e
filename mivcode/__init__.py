"""mivcode: code Dutch focus-group transcripts of the MIV mbo monitor, as a team, in the terminal."""

__version__ = "0.1.0"
