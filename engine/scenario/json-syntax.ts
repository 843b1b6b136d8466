/**
 * Finds where JSON text goes wrong. JSON.parse does not always say (V8 reports
 * "Unexpected token" without a position), and a researcher editing a file by
 * hand needs the line and column; validate.ts calls this only after
 * JSON.parse has failed.
 */

class SyntaxAt {
  constructor(readonly offset: number) {}
}

/**
 * The offset of the first character that makes `text` invalid JSON (RFC 8259),
 * `text.length` when it ends too early, or undefined when it is valid (or
 * nested too deeply to scan).
 */
export function locateJsonSyntaxError(text: string): number | undefined {
  let i = 0;
  const fail = (): never => {
    throw new SyntaxAt(i);
  };
  const skipWhitespace = (): void => {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
  };
  const expect = (word: string): void => {
    for (const char of word) {
      if (text[i] !== char) fail();
      i++;
    }
  };
  const digits = (): void => {
    if (!/[0-9]/.test(text[i] ?? "")) fail();
    while (/[0-9]/.test(text[i] ?? "")) i++;
  };
  const number = (): void => {
    if (text[i] === "-") i++;
    if (text[i] === "0") i++;
    else digits();
    if (text[i] === ".") {
      i++;
      digits();
    }
    if (text[i] === "e" || text[i] === "E") {
      i++;
      if (text[i] === "+" || text[i] === "-") i++;
      digits();
    }
  };
  const string = (): void => {
    expect('"');
    for (;;) {
      const char = text[i];
      if (char === undefined || char < " ") fail();
      i++;
      if (char === '"') return;
      if (char === "\\") {
        const escape = text[i];
        if (escape === "u") {
          i++;
          for (let k = 0; k < 4; k++) {
            if (!/[0-9a-fA-F]/.test(text[i] ?? "")) fail();
            i++;
          }
        } else if (escape !== undefined && '"\\/bfnrt'.includes(escape)) {
          i++;
        } else {
          fail();
        }
      }
    }
  };
  const value = (): void => {
    skipWhitespace();
    const char = text[i];
    if (char === "{") {
      i++;
      skipWhitespace();
      if (text[i] === "}") {
        i++;
        return;
      }
      for (;;) {
        skipWhitespace();
        string();
        skipWhitespace();
        expect(":");
        value();
        skipWhitespace();
        if (text[i] === ",") i++;
        else return expect("}");
      }
    } else if (char === "[") {
      i++;
      skipWhitespace();
      if (text[i] === "]") {
        i++;
        return;
      }
      for (;;) {
        value();
        skipWhitespace();
        if (text[i] === ",") i++;
        else return expect("]");
      }
    } else if (char === '"') {
      string();
    } else if (char === "t") {
      expect("true");
    } else if (char === "f") {
      expect("false");
    } else if (char === "n") {
      expect("null");
    } else if (char === "-" || /[0-9]/.test(char ?? "")) {
      number();
    } else {
      fail();
    }
  };

  try {
    value();
    skipWhitespace();
    if (i < text.length) fail();
    return undefined;
  } catch (error) {
    if (error instanceof SyntaxAt) return error.offset;
    if (error instanceof RangeError) return undefined; // nested deeper than the call stack
    throw error;
  }
}
