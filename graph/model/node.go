// Package model holds the GraphQL types that are not domain types:
// connections, edges, inputs and filters (generated), and Node.
package model

// Node is any entity with an id. Domain types satisfy it as they are, so
// the domain stays free of GraphQL methods.
type Node interface{}
