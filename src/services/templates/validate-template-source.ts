import Handlebars from 'handlebars'

import { isTemplateVariable } from './template-variables'

/**
 * Template syntax is Handlebars, kept to what an editor needs: `{{variable}}` (HTML-escaped),
 * `{{#if variable}}…{{else}}…{{/if}}` and `{{#unless}}`, and `{{! comments }}`. Anything else (helpers,
 * partials, raw `{{{ }}}` output, paths like `{{a.b}}`) is refused, so a template cannot reach data
 * beyond the listed variables or inject unescaped HTML.
 */
export type SourceCheck = { errors: string[]; variables: string[] }

type Node = hbs.AST.Node & Record<string, any>

export const validateTemplateSource = (source: string): SourceCheck => {
  let program: hbs.AST.Program
  try {
    program = Handlebars.parse(source)
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n').pop() : String(error)
    return { errors: [`Template syntax error: ${message}`], variables: [] }
  }
  const errors = new Set<string>()
  const variables = new Set<string>()

  const usePath = (node: Node | undefined) => {
    if (!node || node.type !== 'PathExpression' || node.depth > 0 || node.parts.length !== 1 || node.data) {
      errors.add('Only simple {{variable}} placeholders are allowed (no paths, @data or helpers).')
      return
    }
    const name = node.parts[0] as string
    if (isTemplateVariable(name)) variables.add(name)
    else errors.add(`Unknown variable {{${name}}}.`)
  }

  const visit = (node: Node | null | undefined): void => {
    if (!node) return
    switch (node.type) {
      case 'Program':
        node.body.forEach(visit)
        return
      case 'ContentStatement':
      case 'CommentStatement':
        return
      case 'MustacheStatement':
        if (!node.escaped) errors.add('Triple braces {{{ }}} (unescaped HTML) are not allowed.')
        if (node.params.length > 0 || node.hash) errors.add('Helpers are not allowed in placeholders.')
        usePath(node.path)
        return
      case 'BlockStatement': {
        const helper = node.path?.original
        if ((helper !== 'if' && helper !== 'unless') || node.params.length !== 1 || node.hash) {
          errors.add(`Only {{#if variable}} and {{#unless variable}} blocks are allowed (found {{#${helper}}}).`)
          return
        }
        usePath(node.params[0])
        visit(node.program)
        visit(node.inverse)
        return
      }
      default:
        errors.add(`Unsupported template syntax (${node.type}).`)
    }
  }
  visit(program as unknown as Node)
  return { errors: [...errors], variables: [...variables] }
}
