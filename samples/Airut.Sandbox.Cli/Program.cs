// Wired to the sandbox runner once it lands; the parsing pieces are tested on their own.
return 125;
