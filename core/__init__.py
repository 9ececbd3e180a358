"""The ground floor: settings, the chunk record, the citation grammar, languages, text
normalisation and the string-table translator. Imports nothing from the other packages."""
