from rules.cli import main

main()
