"use strict";
// Starts @vercel/cosmosdb-server (HTTPS, self-signed certificate) for the Cosmos DB store tests:
//   node start.js <package dir> --port <port> --host 127.0.0.1
// with one fix: a point read of a document that does not exist answers 404, as Cosmos DB does
// (the package's handler dereferences the missing document and answers 500). Nothing else is changed.
// The server exits when its standard input closes, so it never outlives the JVM that started it.
const path = require("path");

const [packageDir, ...args] = process.argv.slice(2);
const lib = path.join(packageDir, "lib");

// Patch before the routes module reads the handler (cli.js, required below, loads it).
const readDocument = require(path.join(lib, "handler", "read-document.js"));
const original = readDocument.default;
readDocument.default = (account, req, res, params) => {
  try {
    return original(account, req, res, params);
  } catch (err) {
    if (err instanceof TypeError) {
      res.statusCode = 404;
      return { code: "NotFound", message: "Entity with the specified id does not exist in the system." };
    }
    throw err;
  }
};

process.stdin.on("end", () => process.exit(0));
process.stdin.on("error", () => process.exit(0));
process.stdin.resume();

// Then run the package's own command line, with the arguments given after the package dir.
process.argv = [process.argv[0], path.join(lib, "cli.js"), ...args];
require(path.join(lib, "cli.js"));
