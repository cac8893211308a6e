/** A small well-formedness check for the JUnit report (balanced tags, quoted attributes, known entities). */
import assert from 'node:assert/strict';

const TOKEN =
  /<\?xml[^?]*\?>|<(\/?)([A-Za-z_][\w.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>|&(?!(?:amp|lt|gt|quot|apos);)|<|>/g;

export function assertWellFormedXml(xml: string): void {
  const stack: string[] = [];
  let roots = 0;
  for (const match of xml.matchAll(TOKEN)) {
    const [token, closing, name, , selfClosing] = match;
    if (token.startsWith('<?xml')) continue;
    assert.ok(name, `stray '${token}' at offset ${match.index}`);
    if (closing) assert.equal(stack.pop(), name, `</${name}> closes the wrong element`);
    else if (!selfClosing) {
      if (stack.length === 0) roots += 1;
      stack.push(name);
    } else if (stack.length === 0) roots += 1;
  }
  assert.deepEqual(stack, [], 'unclosed elements');
  assert.equal(roots, 1, 'exactly one root element');
}
