import fs from 'node:fs'
import { createRequire } from 'node:module'

import type { Page } from 'playwright-core'

const require = createRequire(import.meta.url)
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')

export type AxeFinding = { id: string; impact: string; help: string; nodes: string[] }

/**
 * Runs axe-core (WCAG 2.1 A and AA rules) on the page as it stands, or on the parts `include` selects,
 * and returns the serious and critical findings. The page's context needs `bypassCSP: true`: our Content-Security-Policy rightly refuses
 * injected scripts.
 */
export const seriousAxeFindings = async (page: Page, include: string[] = []): Promise<AxeFinding[]> => {
  await page.evaluate(AXE_SOURCE)
  return page.evaluate(async (selectors) => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe
    const context = selectors.length ? { include: selectors.map((s) => [s]) } : document
    const result = await axe.run(context as Document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] })
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }))
  }, include)
}
