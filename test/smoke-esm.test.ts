import { execa } from 'execa';
test('esm deps load under jest', async () => {
  const r = await execa('node', ['-e', 'console.log(1+1)']);
  expect(r.stdout).toBe('2');
});
